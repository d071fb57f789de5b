import { ValidateIf } from 'class-validator';

/** Applies the validators only to a value that is present and not null (null clears the field). */
export const UnlessNull = () => ValidateIf((_, value) => value !== null && value !== undefined);
