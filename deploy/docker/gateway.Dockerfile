# The standalone HTTP gateway (src/Gateway): an Orleans client of the PostgreSQL-clustered silos.
# Build from the repository root:
#   docker build -f deploy/docker/gateway.Dockerfile -t distribution-gateway:dev .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /repo
# Project files first, so the restore layer is reused while only sources change.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Grains.Abstractions/Grains.Abstractions.csproj src/Grains.Abstractions/
COPY src/Gateway/Gateway.csproj src/Gateway/
RUN dotnet restore src/Gateway/Gateway.csproj
COPY src/Grains.Abstractions/ src/Grains.Abstractions/
COPY src/Gateway/ src/Gateway/
RUN dotnet publish src/Gateway/Gateway.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# appsettings.json says 127.0.0.1:8081; in a container the API must answer on every interface.
ENV Urls=http://+:8080
EXPOSE 8080
# The non-root user the .NET images ship with.
USER $APP_UID
ENTRYPOINT ["dotnet", "Distribution.Gateway.dll"]
