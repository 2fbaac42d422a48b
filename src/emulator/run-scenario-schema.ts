// The scenario keys for starting commands (instances, commands, onRun, dropAfterCreate), spread
// into SCENARIO_SCHEMA. Kept apart so that the read-side scenario format stays readable.

const instanceIdPattern = "^(ins|lhins|mi)-[a-z0-9]{1,32}$";
const commandIdPattern = "^cmd-[a-z0-9]{1,32}$";

export const RUN_SCENARIO_PROPERTIES = {
  instances: {
    type: "array",
    description:
      "Instances RunCommand/InvokeCommand may target. Absent: any well-formed instance id is an online Linux instance.",
    items: { $ref: "#/definitions/instance" },
  },
  commands: {
    type: "array",
    description: "Saved commands for InvokeCommand.",
    items: { $ref: "#/definitions/savedCommand" },
  },
  onRun: {
    type: "array",
    description:
      "Scripted results for tasks started by RunCommand/InvokeCommand: the first rule whose match holds decides a task's timeline, output and exit code.",
    items: { $ref: "#/definitions/runRule" },
  },
  dropAfterCreate: {
    type: "object",
    additionalProperties: false,
    description:
      "Fault: the next `times` RunCommand/InvokeCommand calls create their invocation, then the connection is dropped without an answer.",
    properties: {
      action: { enum: ["RunCommand", "InvokeCommand"] },
      times: { type: "integer", minimum: 1 },
    },
  },
};

export const RUN_SCENARIO_DEFINITIONS = {
  instance: {
    type: "object",
    additionalProperties: false,
    required: ["id"],
    properties: {
      id: { type: "string", pattern: instanceIdPattern },
      agent: {
        enum: ["online", "offline", "not-installed"],
        description:
          "online (default); offline: tasks end DELIVER_FAILED with an ErrorInfo; not-installed: the call is refused (ResourceUnavailable.AgentNotInstalled).",
      },
      platform: { enum: ["Linux", "Windows"], description: "Default Linux." },
      state: {
        enum: ["RUNNING", "STOPPED"],
        description:
          "Default RUNNING; STOPPED is refused (ResourceUnavailable.InstanceStateNotRunning).",
      },
    },
  },
  savedCommand: {
    type: "object",
    additionalProperties: false,
    required: ["id", "content"],
    properties: {
      id: { type: "string", pattern: commandIdPattern },
      name: { type: "string" },
      content: { type: "string", minLength: 1, description: "Script text; may hold {{name}}." },
      commandType: { enum: ["SHELL", "POWERSHELL", "BAT"] },
      enableParameter: {
        type: "boolean",
        description: "Default: true when defaultParameters are given.",
      },
      defaultParameters: {
        type: "object",
        additionalProperties: { type: "string" },
      },
      timeout: { type: "integer", minimum: 1, maximum: 86400 },
      workingDirectory: { type: "string" },
      username: { type: "string" },
      description: { type: "string" },
    },
  },
  runRule: {
    type: "object",
    additionalProperties: false,
    required: ["match"],
    properties: {
      match: {
        type: "object",
        additionalProperties: false,
        minProperties: 1,
        properties: {
          content: {
            type: "string",
            minLength: 1,
            description:
              "Substring of the command content (parameters substituted), or /regex/flags.",
          },
          commandId: { type: "string", pattern: commandIdPattern },
          instance: { type: "string", pattern: instanceIdPattern },
        },
      },
      timeline: { $ref: "#/definitions/timeline" },
      exitCode: { type: "integer" },
      output: { type: "string" },
      outputRepeat: { type: "integer", minimum: 1 },
      errorInfo: { type: "string" },
      after: { $ref: "#/definitions/duration" },
    },
  },
};
