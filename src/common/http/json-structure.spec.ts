import { scanJsonStructure, type StructureLimits } from './json-structure';

const LIMITS: StructureLimits = { maxDepth: 4, maxKeys: 2, maxArrayLength: 3, maxValues: 8 };

describe('scanJsonStructure', () => {
  it('passes what is within every limit', () => {
    expect(scanJsonStructure('{"a":[1,2,3],"b":{"c":"}]{["}}', LIMITS)).toBeUndefined();
    expect(scanJsonStructure('[]', LIMITS)).toBeUndefined();
    expect(scanJsonStructure('"just a string"', LIMITS)).toBeUndefined();
  });

  it('names the object with too many keys by its path, array indices included', () => {
    expect(scanJsonStructure('{"a":[{"x":1},{"x":1,"y":2,"z":3}]}', LIMITS)).toEqual({ kind: 'size', path: ['a', '1'], message: 'has more than 2 keys' });
    expect(scanJsonStructure('{"a":1,"b":2,"c":3}', LIMITS)).toEqual({ kind: 'size', path: [], message: 'has more than 2 keys' });
  });

  it('counts array items, not the commas inside strings or nested values', () => {
    expect(scanJsonStructure('["a,b,c,d",[1,2],{"k":"v"}]', LIMITS)).toBeUndefined();
    expect(scanJsonStructure('{"list":[1,2,3,4]}', LIMITS)).toEqual({ kind: 'size', path: ['list'], message: 'has more than 3 items' });
  });

  it('keeps escaped quotes inside keys and strings apart from the structure', () => {
    expect(scanJsonStructure('{"a\\"b":{"c":1,"d":2,"e":3}}', LIMITS)).toEqual({ kind: 'size', path: ['a\\"b'], message: 'has more than 2 keys' });
  });

  it('counts the values of the whole body', () => {
    expect(scanJsonStructure('[[1,2,3],[1,2,3],[1,2,3]]', LIMITS)).toEqual({ kind: 'size', path: [], message: 'has more than 8 values' });
  });

  it('reports depth with the path to the value that is too deep', () => {
    expect(scanJsonStructure('{"a":{"b":[[{"c":1}]]}}', LIMITS)).toEqual({ kind: 'depth', path: ['a', 'b', '0', '0'], message: 'nests deeper than 4 levels' });
  });
});
