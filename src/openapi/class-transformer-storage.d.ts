// class-transformer keeps @Type() metadata in this module and declares its type elsewhere.
declare module 'class-transformer/cjs/storage' {
  export const defaultMetadataStorage: import('class-transformer/types/MetadataStorage').MetadataStorage;
}
