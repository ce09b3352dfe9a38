// asl-validator 4.0.0 ships no types (docs/sources.md#aws-aws): the CJS default export.
declare module 'asl-validator' {
  interface AslValidatorResult {
    isValid: boolean;
    errors: unknown[];
    errorsText(separator?: string): string;
  }
  function aslValidator(definition: unknown, opts?: { checkPaths: boolean; checkArn: boolean }): AslValidatorResult;
  export = aslValidator;
}
