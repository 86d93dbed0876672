// The published modules use lodash as the global `_` without importing it (fe-core's
// useGraphqlQuery, fe-location's MoveLocationDialog). Under the upstream webpack build lodash
// takes its AMD branch, which sets `window._`; a vite build does not, so the shell sets it.
import lodash from "lodash";

window._ = lodash;
