// Types for the one function tat-assert uses from Tencent's COS SDK: the request signer behind its
// static `COS.getAuthorization` (sdk/cos.js sets `COS.getAuthorization = util.getAuth`).
declare module "cos-nodejs-sdk-v5/sdk/util.js" {
  interface GetAuthOptions {
    SecretId: string;
    SecretKey: string;
    Method: string;
    /** The request path, `/` included; used as given with UseRawKey. */
    Pathname?: string;
    Key?: string;
    UseRawKey?: boolean;
    Query?: Record<string, string>;
    Headers?: Record<string, string>;
    /** `start;end` in epoch seconds. */
    KeyTime?: string;
    ForceSignHost?: boolean;
  }
  const util: { getAuth(options: GetAuthOptions): string };
  export default util;
}
