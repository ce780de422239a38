// Public barrel: re-exports only.
export * from './core';
