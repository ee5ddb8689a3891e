{{/* Object names are fixed: the control plane is one per cluster (cluster-wide webhook and roles). */}}
{{- define "appmesh-xds.name" -}}appmesh-xds{{- end -}}

{{- define "appmesh-xds.selectorLabels" -}}
app.kubernetes.io/name: appmesh-xds
{{- end -}}

{{- define "appmesh-xds.labels" -}}
{{ include "appmesh-xds.selectorLabels" . }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | quote }}
app.kubernetes.io/instance: {{ .Release.Name | quote }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service | quote }}
{{- end -}}

{{- define "appmesh-xds.serviceAccountName" -}}
{{- .Values.serviceAccount.name | default "appmesh-xds" -}}
{{- end -}}

{{/*
The webhook's serving certificate (values webhook.certificates): the config's injection.webhook,
and the Secret and directory of certManager. Anything else fails the render with a message.
*/}}
{{- define "appmesh-xds.webhookCertDir" -}}/etc/appmesh-xds-webhook{{- end -}}
{{- define "appmesh-xds.webhookCertificates" -}}
{{- if eq .Values.webhook.certificates "certManager" -}}
{certificates: files, certDir: {{ include "appmesh-xds.webhookCertDir" . }}}
{{- else if eq .Values.webhook.certificates "generate" -}}
{certificates: generate}
{{- else -}}
{{- fail (printf "webhook.certificates %q: use generate (the control plane issues and rotates the certificate) or certManager" .Values.webhook.certificates) -}}
{{- end -}}
{{- end -}}

{{/* The config file (serve --config) the values generate, merged under .Values.config. */}}
{{- define "appmesh-xds.config" -}}
{{- $v := .Values -}}
{{- $envoy := dict
      "image" (printf "%s:%s" $v.sidecar.image.repository $v.sidecar.image.tag)
      "logLevel" $v.sidecar.logLevel
      "cpuRequest" (toString $v.sidecar.resources.requests.cpu)
      "memoryRequest" (toString $v.sidecar.resources.requests.memory)
      "cpuLimit" (toString $v.sidecar.resources.limits.cpu)
      "memoryLimit" (toString $v.sidecar.resources.limits.memory)
      "preStopDelaySeconds" (int $v.sidecar.lifecycleHooks.preStopDelay)
      "readinessInitialDelaySeconds" (int $v.sidecar.probes.readinessProbeInitialDelay)
      "readinessPeriodSeconds" (int $v.sidecar.probes.readinessProbePeriod)
      "waitUntilProxyReady" $v.sidecar.waitUntilProxyReady -}}
{{- $injection := dict
      "failurePolicy" $v.webhook.failurePolicy
      "xdsAddress" (printf "appmesh-xds.%s:18000" .Release.Namespace)
      "envoy" $envoy
      "proxyInit" (dict "image" (printf "%s:%s" $v.init.image.repository $v.init.image.tag))
      "webhook" (include "appmesh-xds.webhookCertificates" . | fromYaml) -}}
{{- if and $v.xdsTls.enabled $v.xdsTls.proxyCsiDriver -}}
  {{- $m := $v.xdsTls.proxyMountPath -}}
  {{- $_ := set $injection "xdsTls" (dict "enabled" true "csiDriver" $v.xdsTls.proxyCsiDriver "mountPath" $m
        "caFile" (printf "%s/ca.crt" $m) "certFile" (printf "%s/tls.crt" $m) "keyFile" (printf "%s/tls.key" $m)
        "sni" (printf "appmesh-xds.%s.svc" .Release.Namespace)) -}}
{{- end -}}
{{- $cfg := dict "injection" $injection -}}
{{- if $v.tracing.enabled -}}
  {{- if eq $v.tracing.provider "x-ray" -}}
    {{- $_ := set $cfg "tracing" (dict "provider" "xray" "samplingPercent" $v.tracing.samplingPercent) -}}
    {{- $_ := set $injection "xrayDaemon" (dict "enabled" true "image" (printf "%s:%s" $v.xray.image.repository $v.xray.image.tag)) -}}
  {{- else if eq $v.tracing.provider "jaeger" -}}
    {{- $_ := set $cfg "tracing" (dict "provider" "zipkin" "samplingPercent" $v.tracing.samplingPercent "zipkin" (dict "collector" (printf "%s:%v" $v.tracing.address $v.tracing.port))) -}}
  {{- else -}}
    {{- fail (printf "tracing.provider %q is not served by appmesh-xds: use x-ray or jaeger (or set config.tracing for opentelemetry or zipkin)" $v.tracing.provider) -}}
  {{- end -}}
{{- end -}}
{{- if $v.region -}}
  {{- $_ := set $cfg "aws" (dict "region" $v.region) -}}
{{- end -}}
{{- if $v.cloudWatch.enabled -}}
  {{- $cw := dict "enabled" true "logGroup" $v.cloudWatch.logGroup "exporter" (printf "appmesh-xds.%s:18001" .Release.Namespace) -}}
  {{- if $v.region -}}{{- $_ := set $cw "region" $v.region -}}{{- end -}}
  {{- if $v.cloudWatch.persistence.enabled -}}{{- $_ := set $cw "bufferDir" "/var/lib/appmesh-xds/accesslogs" -}}{{- end -}}
  {{- if and $v.xdsTls.enabled $v.xdsTls.proxyCsiDriver -}}
    {{- $m := $v.xdsTls.proxyMountPath -}}
    {{- $_ := set $cw "exporterTls" (dict "caFile" (printf "%s/ca.crt" $m) "sni" (printf "appmesh-xds.%s.svc" .Release.Namespace)
          "certFile" (printf "%s/tls.crt" $m) "keyFile" (printf "%s/tls.key" $m)) -}}
  {{- end -}}
  {{- $_ := set $cfg "logging" (dict "cloudWatch" $cw) -}}
{{- end -}}
{{- toYaml (mustMergeOverwrite $cfg (deepCopy $v.config)) -}}
{{- end -}}
