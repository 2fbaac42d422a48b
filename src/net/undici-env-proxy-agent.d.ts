// undici's EnvHttpProxyAgent by its own module path: importing the package's index would bundle all
// of undici (its fetch, WebSocket, cache…) into the Action for one class. test/net/proxy.test.ts
// checks that this path is still the class the package exports.
declare module "undici/lib/dispatcher/env-http-proxy-agent.js" {
  import { EnvHttpProxyAgent } from "undici";
  export default EnvHttpProxyAgent;
}
