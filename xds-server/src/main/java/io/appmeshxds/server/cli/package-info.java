/**
 * The command line ({@code appmesh-xds <command>}), per the CLI contract in docs: each command is a
 * picocli subcommand; usage errors exit 2.
 */
package io.appmeshxds.server.cli;
