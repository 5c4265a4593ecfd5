export * from './database.module';
export * from './ensure-schema';
