namespace SmsBridge.AppHost.Hosting;

/// <summary>The fluent verbs of the graph, named as in Aspire.</summary>
public static class ResourceBuilderExtensions
{
    /// <summary>Do not start this resource until <paramref name="dependency"/> is healthy.</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResource> dependency) where T : Resource
    {
        builder.Resource.WaitsFor.Add((Resource)dependency.Resource);
        return builder;
    }

    /// <summary>Injects <c>ConnectionStrings__{name}</c>.</summary>
    public static IResourceBuilder<ProjectResource> WithReference(this IResourceBuilder<ProjectResource> project,
        IResourceBuilder<IResourceWithConnectionString> source)
    {
        project.Resource.Environment[$"ConnectionStrings__{source.Resource.Name}"] = () => source.Resource.ConnectionString;
        project.Resource.ManifestEnvironment[$"ConnectionStrings__{source.Resource.Name}"] = $"{{{source.Resource.Name}.connectionString}}";
        return project;
    }

    /// <summary>Injects <c>services__{name}__http__0</c>, read by service discovery as <c>http://{name}</c>.</summary>
    public static IResourceBuilder<ProjectResource> WithReference(this IResourceBuilder<ProjectResource> project,
        IResourceBuilder<ProjectResource> service)
    {
        project.Resource.Environment[$"services__{service.Resource.Name}__http__0"] = () => service.Resource.HttpEndpoint.ToString().TrimEnd('/');
        project.Resource.Environment[$"services__{service.Resource.Name}__management__0"] =
            () => service.Resource.ManagementEndpoint.ToString().TrimEnd('/');
        project.Resource.ManifestEnvironment[$"services__{service.Resource.Name}__http__0"] = $"{{{service.Resource.Name}.bindings.http.url}}";
        project.Resource.ManifestEnvironment[$"services__{service.Resource.Name}__management__0"] =
            $"{{{service.Resource.Name}.bindings.management.url}}";
        return project;
    }

    /// <summary>Injects a parameter's value under an environment name (how secrets reach a service).</summary>
    public static IResourceBuilder<ProjectResource> WithEnvironment(this IResourceBuilder<ProjectResource> project, string name,
        IResourceBuilder<ParameterResource> parameter)
    {
        project.Resource.Environment[name] = () => parameter.Resource.Value;
        project.Resource.ManifestEnvironment[name] = $"{{{parameter.Resource.Name}.value}}";
        return project;
    }

    public static IResourceBuilder<ProjectResource> WithEnvironment(this IResourceBuilder<ProjectResource> project, string name, string? value)
    {
        project.Resource.Environment[name] = () => value;
        if (value is not null) project.Resource.ManifestEnvironment[name] = value;
        return project;
    }

    /// <summary>
    /// A value known only once the graph runs (a port, another resource's endpoint); <paramref name="manifestExpression"/>
    /// says the same in the manifest's terms (e.g. <c>{cache.bindings.tcp.host}:{cache.bindings.tcp.targetPort}</c>), else it is run-mode only.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithEnvironment(this IResourceBuilder<ProjectResource> project, string name,
        Func<string?> value, string? manifestExpression = null)
    {
        project.Resource.Environment[name] = value;
        if (manifestExpression is not null) project.Resource.ManifestEnvironment[name] = manifestExpression;
        return project;
    }

    /// <summary>A folder under the AppHost's data folder that the project may write, passed as <paramref name="variable"/>.</summary>
    public static IResourceBuilder<ProjectResource> WithDataDirectory(this IResourceBuilder<ProjectResource> project, string variable,
        string folder)
    {
        project.Resource.DataDirectories[variable] = folder;
        return project;
    }

    public static IResourceBuilder<ParameterResource> WithFirstRunNotice(this IResourceBuilder<ParameterResource> parameter, string format)
    {
        parameter.Resource.FirstRunNotice = format;
        return parameter;
    }

    /// <summary>Marks the public endpoint as reachable from outside (the manifest's <c>external: true</c>).</summary>
    public static IResourceBuilder<ProjectResource> WithExternalHttpEndpoints(this IResourceBuilder<ProjectResource> project)
    {
        project.Resource.IsExternal = true;
        return project;
    }

    /// <summary>A database with its three roles; passwords are generated secret parameters.</summary>
    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(this IResourceBuilder<PostgresServerResource> server, string name,
        string? databaseName = null)
    {
        var app = server.ApplicationBuilder;
        var database = server.Resource.AddDatabase(name, databaseName ?? name,
            app.AddParameter($"{name}-owner-password").Resource,
            app.AddParameter($"{name}-app-password").Resource,
            app.AddParameter($"{name}-backup-password").Resource);
        database.WaitsFor.Add(server.Resource);
        return app.AddResource(database);
    }

    /// <summary><c>{name}-migrations</c>: the owner role's connection string, for whoever applies the schema.</summary>
    public static IResourceBuilder<ConnectionStringResource> AsOwner(this IResourceBuilder<PostgresDatabaseResource> database) =>
        database.Derived("migrations", database.Resource.Owner, () => database.Resource.OwnerConnectionString);

    /// <summary><c>{name}-backup</c>: the read-only backup role's connection string.</summary>
    public static IResourceBuilder<ConnectionStringResource> AsBackupReader(this IResourceBuilder<PostgresDatabaseResource> database) =>
        database.Derived("backup", database.Resource.Backup, () => database.Resource.BackupConnectionString);

    private static IResourceBuilder<ConnectionStringResource> Derived(this IResourceBuilder<PostgresDatabaseResource> database, string suffix,
        DatabaseLogin login, Func<string> value)
    {
        var resource = new ConnectionStringResource($"{database.Resource.Name}-{suffix}", value) { Login = login };
        resource.WaitsFor.Add(database.Resource);
        return database.ApplicationBuilder.AddResource(resource);
    }
}
