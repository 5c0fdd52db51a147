# syntax=docker/dockerfile:1
# The image of each service, chosen by the build argument PROJECT (SmsBridge.Receiver, SmsBridge.Admin or
# SmsBridge.Backup), built from the repository root:
#   docker build --build-arg PROJECT=SmsBridge.Receiver -t smsbridge/receiver .
# (docker-compose -f deploy/docker-compose.yml build passes the argument for each service).
# Pinned .NET 10 images; the runtime image runs as its unprivileged "app" user (UID 1654).
ARG PROJECT=SmsBridge.Receiver

FROM mcr.microsoft.com/dotnet/sdk:10.0.100-noble AS build
ARG PROJECT
WORKDIR /src
# Restore first, from the project files alone, so that the package layer is reused while code changes.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY SmsBridge.ServiceDefaults/SmsBridge.ServiceDefaults.csproj SmsBridge.ServiceDefaults/
COPY SmsBridge.Data/SmsBridge.Data.csproj SmsBridge.Data/
COPY SmsBridge.Processes/SmsBridge.Processes.csproj SmsBridge.Processes/
COPY ${PROJECT}/${PROJECT}.csproj ${PROJECT}/
RUN dotnet restore ${PROJECT}/${PROJECT}.csproj
COPY SmsBridge.ServiceDefaults/ SmsBridge.ServiceDefaults/
COPY SmsBridge.Data/ SmsBridge.Data/
COPY SmsBridge.Processes/ SmsBridge.Processes/
COPY ${PROJECT}/ ${PROJECT}/
RUN dotnet publish ${PROJECT}/${PROJECT}.csproj -c Release -o /app --no-restore -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0.0-noble AS final
ARG PROJECT

# Only the backup worker runs external tools: pg_dump, pg_restore and psql (client 16 dumps the PostgreSQL 15
# server) and rclone for Backup__Offsite__RcloneRemote (ca-certificates for remotes over HTTPS).
RUN if [ "$PROJECT" = "SmsBridge.Backup" ]; then \
        apt-get update \
     && apt-get install -y --no-install-recommends postgresql-client rclone ca-certificates \
     && rm -rf /var/lib/apt/lists/*; \
    fi

WORKDIR /app
COPY --from=build --chown=0:0 /app ./
ENV ASPNETCORE_ENVIRONMENT=Production \
    DOTNET_ENVIRONMENT=Production \
    HTTP_PORTS=8080 \
    Management__Port=9464 \
    Logging__Files__Directory=/var/log/smsbridge \
    SMSBRIDGE_ASSEMBLY=${PROJECT}.dll
EXPOSE 8080 9464
USER 1654:1654
# The image has no curl or wget: bash's /dev/tcp asks /health.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# The exec form cannot expand the build argument: the shell names the assembly, then exec leaves dotnet as PID 1.
ENTRYPOINT ["/bin/sh", "-c", "exec dotnet \"$SMSBRIDGE_ASSEMBLY\" \"$@\"", "dotnet"]
