export { useBestBackend } from './backend/use-best-backend.js';
export type { BackendAttempt, BackendResolution, UseBestBackendOptions } from './backend/use-best-backend.js';
export { describeBackend } from './backend/describe-backend.js';
export { availableBackends } from './backend/available-backends.js';
export { silenceTfjsBanner } from './backend/silence-banner.js';
export { BACKEND_ENV_VAR, BACKEND_NAMES, isBackendName, parseBackendName } from './backend/backend-names.js';
export type { BackendName } from './backend/backend-names.js';
export type { ModuleLoader } from './backend/candidates.js';
export { enableWasmTraining } from './wasm/enable-wasm-training.js';
