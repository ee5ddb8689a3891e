/**
 * RE2 as Envoy uses it: the program size limit our bootstrap sets, and a bounded computation of a
 * pattern's RE2 program size that never compiles it ({@link io.appmeshxds.translator.re2.Re2ProgramSize}).
 * Used by validation ({@code model}) and by the bootstrap ({@code xds}).
 *
 * <p>Pure: no I/O, no clock, no threads; depends on nothing of ours (re2j's parser through a small
 * accessor in its own package).
 */
package io.appmeshxds.translator.re2;
