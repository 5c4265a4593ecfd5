export * from './app-role';
export * from './database.module';
export * from './ensure-schema';
export * from './app-pg-client';
export * from './group-commit';
