// A local Serverless Framework plugin: removes the RoleName that serverless-iam-roles-per-function gives every
// function's role (`<service>-<stage>-<function>-<region>-lambdaRole`), which passes IAM's 64-character limit for
// longer stages, regions and function names (the plugin then refuses to package). Without RoleName, CloudFormation
// names each role itself (`<stack>-<logical id>-<random>`, always within the limit). Nothing refers to the roles by
// name: the functions point at them with Fn::GetAtt. Listed after serverless-iam-roles-per-function, so its hook on
// the same event runs after the roles exist.

class CloudFormationRoleNames {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'before:package:finalize': () => this.unname() };
  }

  unname() {
    const resources = this.serverless.service.provider.compiledCloudFormationTemplate.Resources;
    for (const resource of Object.values(resources)) {
      if (resource.Type === 'AWS::IAM::Role' && resource.Properties) delete resource.Properties.RoleName;
    }
  }
}

module.exports = CloudFormationRoleNames;
