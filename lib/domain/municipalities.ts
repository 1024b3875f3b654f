/** A CBS municipality code: `GM` and four digits (GM0363 is Amsterdam). */
export const MUNICIPALITY_CODE_PATTERN = /^GM\d{4}$/;

export function isMunicipalityCode(code: string): boolean {
  return MUNICIPALITY_CODE_PATTERN.test(code);
}

/** How an error message names what was expected. */
export const MUNICIPALITY_CODE_EXAMPLE = 'a CBS municipality code like GM0363';
