/** Injection tokens the platform provides to every app. */
export const PLATFORM_CONFIG = Symbol('PLATFORM_CONFIG');
export const APP_DEFINITION = Symbol('APP_DEFINITION');
export const APP_LOGGER = Symbol('APP_LOGGER');
