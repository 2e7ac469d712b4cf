# KubeDns server image. Build: docker build -t kubedns .
# Stage 1 builds, tests and publishes on the SDK image: the server is a Native AOT executable (issue 14), so
# stage 2 is the chiseled runtime-deps image (glibc, OpenSSL for the API server's TLS, CA certificates; no
# .NET runtime, no ICU: the program is built with invariant globalization): no shell, no package manager,
# a non-root user.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# Native AOT links with clang and zlib.
RUN apt-get update && apt-get install -y --no-install-recommends clang zlib1g-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props KubeDns.sln ./
COPY src/ src/
COPY tests/ tests/
COPY benchmarks/ benchmarks/
COPY manifests/ manifests/
RUN dotnet restore KubeDns.sln
# The resolver and cluster-state tests need no network peers; the integration tests (dig, netns) run in CI.
RUN dotnet test tests/KubeDns.Cluster.Tests -c Release --filter "FullyQualifiedName!~Integration" \
 && dotnet test tests/KubeDns.Tests -c Release --filter "FullyQualifiedName~Resolution|FullyQualifiedName~Zone|FullyQualifiedName~Robustness|FullyQualifiedName~Deployment"
RUN dotnet publish src/KubeDns -c Release -o /publish

FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled AS runtime
WORKDIR /app
# The executable alone (the publish folder also holds its debug symbols, KubeDns.dbg).
COPY --from=build /publish/KubeDns ./
# The demo cluster, so that `docker run kubedns` answers something; the Deployment passes --config instead.
COPY --from=build /src/manifests/demo /app/demo
# Chiseled images run as the non-root "app" user (uid 1654); binding port 53 needs NET_BIND_SERVICE
# (granted in the Deployment), or listen on a high port.
USER app
EXPOSE 53/udp 53/tcp 8080/tcp 8181/tcp 9153/tcp
ENTRYPOINT ["/app/KubeDns"]
CMD ["--manifests", "/app/demo", "--listen", "0.0.0.0:53"]
