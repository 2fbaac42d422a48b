// Kept equal to package.json's version by a test; a constant so the bundled Action needs no package.json.
export const VERSION = "0.1.0";
