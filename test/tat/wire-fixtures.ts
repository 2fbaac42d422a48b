// Answers' records as Tencent's own examples show them (tat-api.md §1.3), shared by the wire tests.

// A task record as Tencent's own example shows it (tat-api.md §1.3), with the nullable fields null.
export const task = () => ({
  CommandId: "cmd-13axrtuq",
  CommandDocument: {
    Content: "d2hvYW1p",
    CommandType: "SHELL",
    Timeout: 1,
    Username: "root",
    WorkingDirectory: "/root/",
    OutputCOSBucketUrl: "",
    OutputCOSKeyPrefix: "",
  },
  InvocationId: "inv-1vll7hda",
  InvocationTaskId: "invt-08oe5fe2",
  TaskStatus: "SUCCESS",
  InstanceId: "ins-zj0f57ex",
  TaskResult: {
    ExitCode: 0,
    Output: "cm9vdAo=",
    Dropped: 0,
    OutputUploadCOSErrorInfo: "",
    OutputUrl: "",
    ExecStartTime: null,
    ExecEndTime: null,
  },
  ErrorInfo: "",
  InvocationSource: "user",
  StartTime: null,
  EndTime: null,
  CreatedTime: "2020-11-05T07:49:56+00:00",
  UpdatedTime: "2020-11-05T07:50:06+00:00",
});

/** An invocation record of DescribeInvocations, still running. */
export const invocation = () => ({
  InvocationId: "inv-1",
  InvocationStatus: "RUNNING",
  InvocationTaskBasicInfoSet: [
    { InvocationTaskId: "invt-1", TaskStatus: "RUNNING", InstanceId: "ins-1" },
  ],
  EndTime: null,
  Timeout: 60,
});
