import 'reflect-metadata';

const SENSITIVE = Symbol('sensitive-config');

/** Marks a config variable whose value must never be logged or echoed in an error. */
export function Sensitive(): PropertyDecorator {
  return (target, key) => {
    const keys: Set<string | symbol> = Reflect.getMetadata(SENSITIVE, target) ?? new Set();
    Reflect.defineMetadata(SENSITIVE, new Set([...keys, key]), target);
  };
}

export function isSensitive(target: object, key: string): boolean {
  const keys: Set<string | symbol> | undefined = Reflect.getMetadata(SENSITIVE, target);
  return keys?.has(key) ?? false;
}
