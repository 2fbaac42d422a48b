// Options and variables set to "" or spaces count as unset: CI systems expand missing secrets to "".
export const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === "" ? undefined : value.trim();
