// GitHub Actions workflow commands (`::error file=…::message`), escaped the way the runner
// unescapes them (the table in @actions/core's command.js).
import { plain } from "./markdown.js";

export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export function workflowCommand(
  command: string,
  properties: Record<string, string | number | undefined>,
  message: string,
): string {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== "")
    .map(([k, v]) => `${k}=${escapeProperty(plain(String(v)))}`)
    .join(",");
  return `::${command}${props ? ` ${props}` : ""}::${escapeData(plain(message))}`;
}
