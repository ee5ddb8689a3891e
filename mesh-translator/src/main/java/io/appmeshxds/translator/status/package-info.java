/**
 * What translation says about each object: the App Mesh condition per object ({@code
 * VirtualNodeActive}, … with our reasons) and its problems ({@code input.Problem}, with source,
 * field path and severity). Pure values; the server decides where they go (Kubernetes status or
 * the log). Depends on {@code api} and {@code input} only.
 */
package io.appmeshxds.translator.status;
