import { availableParallelism } from "node:os";

/** @type {import('jest').Config} */
export default {
  testEnvironment: "node",
  // Most suites wait on real servers and child processes more than they compute (the whole suite
  // took 490 s of wall time for about 290 s of CPU in one worker): on 2 cores, Jest's default of
  // one worker left a core idle, and two finish in half the time.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  extensionsToTreatAsEsm: [".ts"],
  // Sources import "./x.js" (NodeNext style); map back to the .ts file for Jest.
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: {
    "^.+\\.ts$": [
      "@swc/jest",
      {
        jsc: { parser: { syntax: "typescript" }, target: "es2022" },
        module: { type: "es6" },
        sourceMaps: "inline",
      },
    ],
  },
  globalSetup: "<rootDir>/test/helpers/global-setup.js",
  testTimeout: 30000,
};
