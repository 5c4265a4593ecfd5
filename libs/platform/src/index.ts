// @onecard/platform: how a OneCard app runs — bootstrap (runApp), the database pinned to the
// app's schema, HTTP ingress (controllers, envelope, validation pipes), health, metrics, /docs,
// operator views, outbound HTTP clients, security helpers and wire times. Built on @onecard/kernel and @onecard/messaging.
export * from './admin/admin-page';
export * from './admin/backlog-sources';
export * from './app/create-app';
export * from './app/platform.module';
export * from './app/run-app';
export * from './database';
export * from './health/health-indicators';
export * from './http';
export * from './outbound';
export * from './presence/presence-sweep';
export * from './security';
export * from './time/wire-time';
