/**
 * Who sees which incident: the one rule the staff bot uses too (workflow/visibility.ts),
 * applied once per request (visibilityOf) and to each card (isVisible).
 */
export { isVisible, visibilityOf } from '../workflow/visibility.js';
