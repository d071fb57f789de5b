import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * A finite number that `places` decimals write exactly (12.34, not 12.345 or 1e-7). Instead of
 * class-validator's `IsNumber({ maxDecimalPlaces })`, which reads the decimals from `toString()` and
 * throws a TypeError (a 500) on numbers it prints in exponent form, such as 1e-7 or 5e-324.
 */
export function MaxDecimalPlaces(places: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxDecimalPlaces',
      constraints: [places],
      validator: {
        validate: (value: unknown) => typeof value === 'number' && Number.isFinite(value) && Number(value.toFixed(places)) === value,
        defaultMessage: (args) => `${args?.property ?? 'value'} must be a number with at most ${places} decimal places`,
      },
    },
    options,
  );
}
