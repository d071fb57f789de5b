import 'reflect-metadata';

const SENSITIVE = Symbol('sensitive-config');

/** Marks a config variable whose value must never be logged or echoed in an error. */
export function Sensitive(): PropertyDecorator {
  return (target, key) => {
    const keys = (Reflect.getMetadata(SENSITIVE, target) as Set<string | symbol> | undefined) ?? new Set();
    Reflect.defineMetadata(SENSITIVE, new Set([...keys, key]), target);
  };
}

export function isSensitive(target: object, key: string): boolean {
  const keys = Reflect.getMetadata(SENSITIVE, target) as Set<string | symbol> | undefined;
  return keys?.has(key) ?? false;
}
