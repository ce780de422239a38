export * from './model';
export * from './errors';
export * from './rules';
export * from './user-data';
export * from './assembly';
