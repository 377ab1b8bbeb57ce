# The silo host (src/Silo): Orleans silo plus the HTTP API in one process.
# Build from the repository root:
#   docker build -f deploy/docker/silo.Dockerfile -t distribution-silo:dev .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /repo
# Project files first, so the restore layer is reused while only sources change.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Grains.Abstractions/Grains.Abstractions.csproj src/Grains.Abstractions/
COPY src/Grains/Grains.csproj src/Grains/
COPY src/Persistence/Persistence.csproj src/Persistence/
COPY src/Gateway/Gateway.csproj src/Gateway/
COPY src/Silo/Silo.csproj src/Silo/
RUN dotnet restore src/Silo/Silo.csproj
COPY src/ src/
RUN dotnet publish src/Silo/Silo.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# appsettings.json says localhost; in a container the API must answer on every interface.
ENV Urls=http://+:8080
# HTTP API, silo-to-silo, Orleans client gateway (Hub:SiloPort, Hub:GatewayPort).
EXPOSE 8080 11111 30000
# The non-root user the .NET images ship with.
USER $APP_UID
ENTRYPOINT ["dotnet", "Distribution.Silo.dll"]
