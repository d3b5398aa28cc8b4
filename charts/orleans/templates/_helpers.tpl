{{/* Name of the chart (app.kubernetes.io/name). */}}
{{- define "orleans.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Prefix of resource names: <release>-<chart>, or <release> if it contains the chart name. */}}
{{- define "orleans.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Name of the headless Service for the silo port (at most 63 characters with its suffix). */}}
{{- define "orleans.siloServiceName" -}}
{{- printf "%s-silo" (include "orleans.fullname" . | trunc 58 | trimSuffix "-") }}
{{- end }}

{{/* Name of the gateway Service. */}}
{{- define "orleans.gatewayServiceName" -}}
{{- printf "%s-gateway" (include "orleans.fullname" . | trunc 55 | trimSuffix "-") }}
{{- end }}

{{- define "orleans.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Stable labels that select the silo pods. */}}
{{- define "orleans.selectorLabels" -}}
app.kubernetes.io/name: {{ include "orleans.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Cluster id: orleans.clusterId, else the release name. */}}
{{- define "orleans.clusterId" -}}
{{- default .Release.Name .Values.orleans.clusterId }}
{{- end }}

{{/* The labels the cluster agent scopes silos by; the pods read them back through the downward API. */}}
{{- define "orleans.orleansLabels" -}}
orleans/serviceId: {{ .Values.orleans.serviceId | quote }}
orleans/clusterId: {{ include "orleans.clusterId" . | quote }}
{{- end }}

{{/*
Application version of the silos (env ORLEANS_SILO_APP_VERSION, pod label orleans/appVersion): appVersion,
else the image tag, else the chart's appVersion. During a rolling upgrade new activations go to the silos
of the newest version present.
*/}}
{{- define "orleans.appVersion" -}}
{{- .Values.appVersion | default .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{/* The app version as a label value: at most 63 characters, starting and ending with a letter or digit. */}}
{{- define "orleans.appVersionLabel" -}}
{{- include "orleans.appVersion" . | replace "+" "_" | trunc 63 | trimSuffix "-" | trimSuffix "_" | trimSuffix "." }}
{{- end }}

{{/* Labels of every resource. */}}
{{- define "orleans.labels" -}}
helm.sh/chart: {{ include "orleans.chart" . }}
{{ include "orleans.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/component: silo
app.kubernetes.io/part-of: {{ .Values.orleans.serviceId | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "orleans.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "orleans.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* shutdownTimeout in whole seconds (rounded up). */}}
{{- define "orleans.shutdownSeconds" -}}
{{- $timeout := toString .Values.shutdownTimeout }}
{{- $pattern := "^([0-9]+)(ms|s|m|h)$" }}
{{- if not (regexMatch $pattern $timeout) }}
{{- fail (printf "shutdownTimeout must be a number with the unit ms, s, m or h (for example 60s), was %q" $timeout) }}
{{- end }}
{{- $amount := regexReplaceAll $pattern $timeout "${1}" | atoi }}
{{- $unit := regexReplaceAll $pattern $timeout "${2}" }}
{{- if eq $unit "ms" }}{{ div (add $amount 999) 1000 }}
{{- else if eq $unit "s" }}{{ $amount }}
{{- else if eq $unit "m" }}{{ mul $amount 60 }}
{{- else }}{{ mul $amount 3600 }}
{{- end }}
{{- end }}

{{/*
terminationGracePeriodSeconds: the value if it is longer than shutdownTimeout (rendering fails if
not), else shutdownTimeout + 30 seconds. Kubernetes kills the container when the grace period ends.
*/}}
{{- define "orleans.terminationGracePeriodSeconds" -}}
{{- $shutdown := include "orleans.shutdownSeconds" . | atoi }}
{{- if kindIs "invalid" .Values.terminationGracePeriodSeconds }}
{{- add $shutdown 30 }}
{{- else }}
{{- $grace := int .Values.terminationGracePeriodSeconds }}
{{- if le $grace $shutdown }}
{{- fail (printf "terminationGracePeriodSeconds (%d) must be longer than shutdownTimeout (%s = %d seconds): Kubernetes kills the silo when the grace period ends, before it has deactivated its grains and left the cluster. Raise terminationGracePeriodSeconds, or leave it empty for shutdownTimeout + 30 seconds." $grace (toString .Values.shutdownTimeout) $shutdown) }}
{{- end }}
{{- $grace }}
{{- end }}
{{- end }}

{{/* Name of the cluster clients' Deployment and HTTP Service. */}}
{{- define "orleans.clientName" -}}
{{- printf "%s-client" (include "orleans.fullname" . | trunc 56 | trimSuffix "-") }}
{{- end }}

{{/*
Stable labels that select the client pods. Their app.kubernetes.io/name differs from the silos',
so that no selector of the silos (Deployment, Services, PodDisruptionBudget) matches a client pod.
*/}}
{{- define "orleans.clientSelectorLabels" -}}
app.kubernetes.io/name: {{ printf "%s-client" (include "orleans.name" . | trunc 56 | trimSuffix "-") }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of the client resources. */}}
{{- define "orleans.clientLabels" -}}
helm.sh/chart: {{ include "orleans.chart" . }}
{{ include "orleans.clientSelectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/component: client
app.kubernetes.io/part-of: {{ .Values.orleans.serviceId | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* The clients' gateways: client.gateways, else the gateway Service on the gateway port. */}}
{{- define "orleans.clientGateways" -}}
{{- if .Values.client.gateways }}
{{- join "," .Values.client.gateways }}
{{- else }}
{{- printf "%s:%v" (include "orleans.gatewayServiceName" .) .Values.ports.gateway }}
{{- end }}
{{- end }}

{{/* Annotations of the silo and client pods: podAnnotations, plus Prometheus' with metrics.podAnnotations. */}}
{{- define "orleans.podAnnotations" -}}
{{- $annotations := dict }}
{{- if .Values.metrics.podAnnotations }}
{{- $_ := set $annotations "prometheus.io/scrape" "true" }}
{{- $_ := set $annotations "prometheus.io/port" (toString .Values.ports.management) }}
{{- $_ := set $annotations "prometheus.io/path" .Values.metrics.path }}
{{- end }}
{{- with .Values.podAnnotations }}
{{- $annotations = merge (deepCopy .) $annotations }}
{{- end }}
{{- with $annotations }}
{{- toYaml . }}
{{- end }}
{{- end }}

{{/* Where the TLS Secret is mounted in silo and client pods. */}}
{{- define "orleans.tlsMountPath" -}}
/etc/orleans/tls
{{- end }}

{{/* The TLS Secret's name; rendering fails without one when tls.enabled. */}}
{{- define "orleans.tlsSecretName" -}}
{{- required "tls.secretName is required with tls.enabled: the kubernetes.io/tls Secret (tls.crt, tls.key, ca.crt) that cert-manager or you created, see examples/cert-manager.yaml" .Values.tls.secretName }}
{{- end }}

{{/*
Environment that makes Spring Boot build the PEM SSL bundle "orleans" from the mounted Secret and
reload it when the kubelet updates the files (cert-manager renewals need no restart). The silos and
the clients each add the property that selects the bundle.
*/}}
{{- define "orleans.tlsBundleEnv" -}}
{{- $dir := include "orleans.tlsMountPath" . -}}
- name: SPRING_SSL_BUNDLE_PEM_ORLEANS_KEYSTORE_CERTIFICATE
  value: {{ printf "file:%s/tls.crt" $dir | quote }}
- name: SPRING_SSL_BUNDLE_PEM_ORLEANS_KEYSTORE_PRIVATEKEY
  value: {{ printf "file:%s/tls.key" $dir | quote }}
- name: SPRING_SSL_BUNDLE_PEM_ORLEANS_TRUSTSTORE_CERTIFICATE
  value: {{ printf "file:%s/ca.crt" $dir | quote }}
- name: SPRING_SSL_BUNDLE_PEM_ORLEANS_RELOADONUPDATE
  value: "true"
{{- end }}

{{/*
The TLS Secret as a volume, mounted read-only without subPath so that the kubelet's updates reach
the pod. Default file mode 0644: the image's user is no member of the files' group unless
podSecurityContext sets an fsGroup.
*/}}
{{- define "orleans.tlsVolume" -}}
- name: tls
  secret:
    secretName: {{ include "orleans.tlsSecretName" . }}
{{- end }}

{{- define "orleans.tlsVolumeMount" -}}
- name: tls
  mountPath: {{ include "orleans.tlsMountPath" . }}
  readOnly: true
{{- end }}

{{/*
NetworkPolicy ingress rules for the HTTP and management ports, shared by the silo and client pods.
A rule without "from" admits every source, so an empty source list leaves its rule out instead.
*/}}
{{- define "orleans.networkPolicyHttpAndManagement" -}}
{{- if .Values.networkPolicy.http.allowAll }}
# HTTP (REST API): every source (networkPolicy.http.allowAll).
- ports:
    - port: http
      protocol: TCP
{{- else if .Values.networkPolicy.http.from }}
# HTTP (REST API): networkPolicy.http.from.
- from:
    {{- toYaml .Values.networkPolicy.http.from | nindent 4 }}
  ports:
    - port: http
      protocol: TCP
{{- end }}
{{- with .Values.networkPolicy.management.from }}
# Management (Actuator): networkPolicy.management.from.
- from:
    {{- toYaml . | nindent 4 }}
  ports:
    - port: management
      protocol: TCP
{{- end }}
{{- end }}

{{/* Name of the headless Service of the silos' management port, which the ServiceMonitor selects. */}}
{{- define "orleans.metricsServiceName" -}}
{{- printf "%s-metrics" (include "orleans.fullname" . | trunc 55 | trimSuffix "-") }}
{{- end }}

{{/* Labels that tell the metrics Service apart from the silos' other Services: the ServiceMonitor's selector. */}}
{{- define "orleans.metricsSelectorLabels" -}}
{{ include "orleans.selectorLabels" . }}
orleans/metrics: "true"
{{- end }}

{{/* Name of the ConfigMap of the Grafana dashboard. */}}
{{- define "orleans.dashboardName" -}}
{{- printf "%s-dashboard" (include "orleans.fullname" . | trunc 53 | trimSuffix "-") }}
{{- end }}

{{/* The labels of every resource with extra ones merged over them (a dict), as YAML. */}}
{{- define "orleans.labelsWith" -}}
{{- $labels := include "orleans.labels" .context | fromYaml }}
{{- toYaml (merge (deepCopy .extra) $labels) }}
{{- end }}
