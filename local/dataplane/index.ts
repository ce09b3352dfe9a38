export { DataplaneFailed, DataplaneUnavailable } from './errors';
export { assertDataplaneReady, DEBIAN_PACKAGES, INSTALL_HINT, missingRequirements } from './preflight';
export { type DataplaneReport, dataplaneText, runDataplane } from './run';
