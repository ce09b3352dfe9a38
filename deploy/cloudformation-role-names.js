// A local Serverless Framework plugin: lets CloudFormation name the per-function roles. serverless-iam-roles-per-
// function names each one `<service>-<stage>-<function>-<region>-lambdaRole` and refuses to package when that passes
// IAM's 64-character limit (e.g. stage `production` in ap-southeast-1). This plugin gives each such function a short
// placeholder name first (the plugin's `iamRoleStatementsName`, which skips its check), then, once the roles exist,
// removes RoleName, so CloudFormation names each role `<stack>-<logical id>-<random>`, always within the limit.
// Nothing refers to the roles by name: the functions point at them with Fn::GetAtt. Listed after
// serverless-iam-roles-per-function, so its hook on before:package:finalize runs after the roles are made.

class CloudFormationRoleNames {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      'after:package:compileFunctions': () => this.placeholders(),
      'before:package:finalize': () => this.unname(),
    };
  }

  placeholders() {
    const functions = this.serverless.service.functions || {};
    for (const [key, fn] of Object.entries(functions)) {
      if (fn?.iamRoleStatements && !fn.iamRoleStatementsName) fn.iamRoleStatementsName = `unnamed-${key}`;
    }
  }

  unname() {
    const resources = this.serverless.service.provider.compiledCloudFormationTemplate.Resources;
    for (const resource of Object.values(resources)) {
      if (resource.Type === 'AWS::IAM::Role' && resource.Properties) delete resource.Properties.RoleName;
    }
  }
}

module.exports = CloudFormationRoleNames;
