// xmllint (WASM) for the JUnit tests: validation against the Ant schema, many documents per call
// because each call costs ~100 ms.
import { readFileSync } from "node:fs";
import { validateXML } from "xmllint-wasm";

const XSD = readFileSync(new URL("../fixtures/junit/JUnit.xsd", import.meta.url), "utf8");

export async function validateAgainstXsd(
  docs: string[],
): Promise<{ valid: boolean; errors: string[] }> {
  const result = await validateXML({
    xml: docs.map((contents, i) => ({ fileName: `report-${i}.xml`, contents })),
    schema: [{ fileName: "JUnit.xsd", contents: XSD }],
    maxMemoryPages: 16384,
  });
  return { valid: result.valid, errors: result.errors.map((e) => e.rawMessage) };
}

/** The broad flavour minus the only things it adds to the schema's shape: `file`/`line` on
 * testcases, a testcase's own properties, the totals on the root. */
export function stripBroadAdditions(xml: string): string {
  return xml
    .replace(/(<testcase\b[^>]*?) file="[^"]*" line="\d+"/g, "$1")
    .replace(/\n {6}<properties>[\s\S]*?<\/properties>/g, "")
    .replace(/<testsuites\b[^>]*>/, "<testsuites>");
}
