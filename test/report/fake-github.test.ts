// The fake is only worth something if it rejects what GitHub rejects: these pin that.
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { type FakeGithub, startFakeGithub } from "../helpers/fake-github.js";

let fake: FakeGithub;
beforeAll(async () => {
  fake = await startFakeGithub({ token: "t" });
});
afterAll(async () => {
  await fake.close();
});

async function call(method: string, path: string, body: unknown, token = "t") {
  const res = await fetch(fake.url + path, {
    method,
    headers: { authorization: `token ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as { id?: number; errors?: string[] } };
}

const annotation = {
  path: "a.yml",
  start_line: 1,
  end_line: 1,
  annotation_level: "failure",
  message: "m",
};

describe("fake GitHub check-run API", () => {
  test("accepts a valid create and update and keeps the run's state as GitHub does", async () => {
    const created = await call("POST", "/repos/acme/deploys/check-runs", {
      name: "n",
      head_sha: "abc",
      status: "in_progress",
      output: { title: "t", summary: "s", annotations: [annotation] },
    });
    expect(created.status).toBe(201);
    const id = created.json.id;
    const updated = await call("PATCH", `/repos/acme/deploys/check-runs/${id}`, {
      conclusion: "success",
      output: { title: "t2", summary: "s2", annotations: [annotation] },
    });
    expect(updated.status).toBe(200);
    expect(fake.runs.get(Number(id))).toMatchObject({
      status: "completed",
      conclusion: "success",
      output: { title: "t2", summary: "s2" },
    });
    expect(fake.runs.get(Number(id))?.annotations).toHaveLength(2);
  });

  test.each([
    [
      "missing head_sha",
      "POST",
      { name: "n", output: { title: "t", summary: "s" } },
      "/ must have required property 'head_sha'",
    ],
    [
      "51 annotations",
      "POST",
      {
        name: "n",
        head_sha: "x",
        output: { title: "t", summary: "s", annotations: Array(51).fill(annotation) },
      },
      "/output/annotations must NOT have more than 50 items",
    ],
    [
      "annotation_level error",
      "POST",
      {
        name: "n",
        head_sha: "x",
        output: {
          title: "t",
          summary: "s",
          annotations: [{ ...annotation, annotation_level: "error" }],
        },
      },
      "/output/annotations/0/annotation_level must be equal to one of the allowed values",
    ],
    [
      "a 65,536-character summary",
      "POST",
      { name: "n", head_sha: "x", output: { title: "t", summary: "x".repeat(65_536) } },
      "/output/summary must NOT have more than 65535 characters",
    ],
    [
      "65,535 characters but more bytes",
      "POST",
      { name: "n", head_sha: "x", output: { title: "t", summary: "é".repeat(40_000) } },
      "/output/summary is longer than 65535 bytes",
    ],
    [
      "completed without conclusion on create",
      "POST",
      { name: "n", head_sha: "x", status: "completed" },
      "/conclusion is required when status is completed",
    ],
    [
      "completed without conclusion on update",
      "PATCH",
      { status: "completed" },
      "/ must have required property 'conclusion'",
    ],
    [
      "a bad date",
      "PATCH",
      { completed_at: "yesterday" },
      '/completed_at must match format "date-time"',
    ],
  ])("rejects %s with 422", async (_name, method, body, message) => {
    const path =
      method === "POST" ? "/repos/acme/deploys/check-runs" : "/repos/acme/deploys/check-runs/4242";
    const res = await call(method, path, body);
    expect(res.status).toBe(422);
    expect(res.json.errors).toContain(message);
  });

  test("answers injected faults, bad credentials and unknown routes", async () => {
    fake.fail({
      method: "POST",
      status: 403,
      body: { message: "Resource not accessible by integration" },
    });
    expect((await call("POST", "/repos/acme/deploys/check-runs", {})).status).toBe(403);
    expect((await call("POST", "/repos/acme/deploys/check-runs", {}, "wrong")).status).toBe(401);
    expect(
      (await call("POST", "/repos/other/repo/check-runs", { name: "n", head_sha: "x" })).status,
    ).toBe(404);
  });
});
