// A light structural check of an Amazon States Language definition for CreateStateMachine /
// UpdateStateMachine. The real service validates far more; this catches what would make a local run
// meaningless (not JSON, no StartAt, a transition to a state that does not exist, a state with no way out).
// Messages follow the service's `<CODE>: <text> at /<path>` style.

const STATE_TYPES = ['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkTarget(problems: string[], states: Record<string, unknown>, target: unknown, at: string): void {
  if (typeof target !== 'string') {
    problems.push(`SCHEMA_VALIDATION_FAILED: The value for the field 'Next' must be a string at ${at}`);
  } else if (!(target in states)) {
    problems.push(`MISSING_TRANSITION_TARGET: Missing 'Next' target: ${target} at ${at}`);
  }
}

function checkMachine(def: unknown, path: string, problems: string[]): void {
  if (!isObject(def)) {
    problems.push(`SCHEMA_VALIDATION_FAILED: The state machine must be a JSON object at ${path || '/'}`);
    return;
  }
  const states = def.States;
  if (!isObject(states) || Object.keys(states).length === 0) {
    problems.push(`SCHEMA_VALIDATION_FAILED: The field 'States' is required and must hold states at ${path}/States`);
    return;
  }
  if (typeof def.StartAt !== 'string') {
    problems.push(`SCHEMA_VALIDATION_FAILED: The field 'StartAt' is required at ${path}/StartAt`);
  } else if (!(def.StartAt in states)) {
    problems.push(`MISSING_TRANSITION_TARGET: State "${def.StartAt}" is not found at ${path}/StartAt`);
  }
  for (const [name, state] of Object.entries(states)) {
    const at = `${path}/States/${name}`;
    if (!isObject(state) || typeof state.Type !== 'string' || !STATE_TYPES.includes(state.Type)) {
      problems.push(
        `SCHEMA_VALIDATION_FAILED: The field 'Type' must be one of ${STATE_TYPES.join(', ')} at ${at}/Type`,
      );
      continue;
    }
    if (state.Next !== undefined) checkTarget(problems, states, state.Next, `${at}/Next`);
    const terminal = state.Type === 'Succeed' || state.Type === 'Fail' || state.Type === 'Choice';
    if (!terminal && state.Next === undefined && state.End !== true)
      problems.push(`SCHEMA_VALIDATION_FAILED: The state must have either 'Next' or 'End: true' at ${at}`);
    if (state.Type === 'Choice') {
      const choices = state.Choices;
      if (!Array.isArray(choices) || choices.length === 0)
        problems.push(`SCHEMA_VALIDATION_FAILED: The field 'Choices' must hold at least one rule at ${at}/Choices`);
      else
        choices.forEach((c, i) => {
          checkTarget(problems, states, isObject(c) ? c.Next : undefined, `${at}/Choices/${i}/Next`);
        });
      if (state.Default !== undefined) checkTarget(problems, states, state.Default, `${at}/Default`);
    }
    if (Array.isArray(state.Catch)) {
      state.Catch.forEach((c, i) => {
        checkTarget(problems, states, isObject(c) ? c.Next : undefined, `${at}/Catch/${i}/Next`);
      });
    }
    if (state.Type === 'Parallel') {
      if (!Array.isArray(state.Branches) || state.Branches.length === 0)
        problems.push(`SCHEMA_VALIDATION_FAILED: The field 'Branches' must hold at least one branch at ${at}/Branches`);
      else
        state.Branches.forEach((b, i) => {
          checkMachine(b, `${at}/Branches/${i}`, problems);
        });
    }
    if (state.Type === 'Map') {
      const processor = state.ItemProcessor ?? state.Iterator;
      const field = state.ItemProcessor !== undefined ? 'ItemProcessor' : 'Iterator';
      checkMachine(processor, `${at}/${field}`, problems);
    }
  }
}

/** the problems found in `definition` (empty when it looks runnable) */
export function checkDefinition(definition: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(definition);
  } catch (e) {
    return [`INVALID_JSON_DESCRIPTION: ${e instanceof Error ? e.message : String(e)}`];
  }
  const problems: string[] = [];
  checkMachine(parsed, '', problems);
  return problems;
}
