/**
 * Helpers shared by Provium's own packages and modules. Not API: anything here may change without notice.
 */
package dev.provium.internal;
