using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace OmniChannel.Messaging.Testing.Shared;

/// <summary>
/// Lists an assembly's public surface (types and members, nullability included) one line each, sorted,
/// and compares it with the approved file kept beside the test project.
/// </summary>
internal static class PublicApiApprover
{
    private const string ApprovedFileName = "PublicApi.approved.txt";
    private const string ReceivedFileName = "PublicApi.received.txt";

    public static void Verify(Assembly assembly)
    {
        VerifyConventions(assembly);
        var projectDirectory = FindProjectDirectory();
        var approvedPath = Path.Combine(projectDirectory, ApprovedFileName);
        var receivedPath = Path.Combine(projectDirectory, ReceivedFileName);
        var actual = string.Join('\n', Describe(assembly)) + "\n";

        if (Environment.GetEnvironmentVariable("ACCEPT_PUBLIC_API") == "1")
        {
            File.WriteAllText(approvedPath, actual);
        }

        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : string.Empty;
        if (approved == actual)
        {
            if (File.Exists(receivedPath))
            {
                File.Delete(receivedPath);
            }

            return;
        }

        File.WriteAllText(receivedPath, actual);
        var diff = Diff(approved.Split('\n', StringSplitOptions.RemoveEmptyEntries), actual.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Fail(
            $"The public API of {assembly.GetName().Name} changed.\n{diff}\n" +
            $"If the change is deliberate, accept it with:\n  cp '{receivedPath}' '{approvedPath}'\n" +
            "or run the tests once with ACCEPT_PUBLIC_API=1.");
    }

    /// <summary>
    /// Checks the rules every public type follows: classes are sealed, static or abstract (designed for inheritance),
    /// types live under the OmniChannel.Messaging namespace (static
    /// registration extensions may live in Microsoft.Extensions.DependencyInjection or Microsoft.AspNetCore.Builder), and no public field can be written.
    /// </summary>
    public static void VerifyConventions(Assembly assembly)
    {
        var problems = new List<string>();
        foreach (var type in assembly.GetExportedTypes())
        {
            if (type.IsClass && !type.IsSealed && !type.IsAbstract && !typeof(Delegate).IsAssignableFrom(type))
            {
                problems.Add($"{type.FullName} is a public class that is neither sealed, static nor abstract.");
            }

            // Registration extensions live where users already look for them (the DI and ASP.NET Core conventions).
            var isExtensionHost = type is { IsAbstract: true, IsSealed: true }
                && type.Namespace is "Microsoft.Extensions.DependencyInjection" or "Microsoft.AspNetCore.Builder";
            if (!isExtensionHost && (type.Namespace is not { } ns || !(ns == "OmniChannel.Messaging" || ns.StartsWith("OmniChannel.Messaging.", StringComparison.Ordinal))))
            {
                problems.Add($"{type.FullName} is outside the OmniChannel.Messaging namespace.");
            }

            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                if (!field.IsLiteral && !field.IsInitOnly && !type.IsEnum)
                {
                    problems.Add($"{type.FullName}.{field.Name} is a public field that can be written.");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    public static IReadOnlyList<string> Describe(Assembly assembly)
    {
        var lines = new List<string>();
        foreach (var type in assembly.GetExportedTypes())
        {
            var typeName = TypeName(type);
            lines.Add(TypeDeclaration(type));
            const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (var member in type.GetMembers(flags))
            {
                var text = DescribeMember(type, member);
                if (text is not null)
                {
                    lines.Add($"{typeName}: {text}");
                }
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static string TypeDeclaration(Type type)
    {
        var builder = new StringBuilder("public ");
        if (type.IsEnum)
        {
            builder.Append("enum ");
        }
        else if (type.IsInterface)
        {
            builder.Append("interface ");
        }
        else if (type.IsValueType)
        {
            builder.Append(type.GetCustomAttribute<IsReadOnlyAttribute>() is null ? "struct " : "readonly struct ");
        }
        else if (typeof(Delegate).IsAssignableFrom(type))
        {
            builder.Append("delegate ");
        }
        else
        {
            if (type.IsAbstract && type.IsSealed)
            {
                builder.Append("static ");
            }
            else if (type.IsAbstract)
            {
                builder.Append("abstract ");
            }
            else if (type.IsSealed)
            {
                builder.Append("sealed ");
            }

            builder.Append(type.IsDefined(typeof(CompilerGeneratedAttribute)) || type.GetMethod("<Clone>$") is not null ? "record " : "class ");
        }

        builder.Append(TypeName(type));
        var bases = new List<string>();
        if (type.BaseType is { } baseType && baseType != typeof(object) && baseType != typeof(ValueType) && baseType != typeof(Enum) && !typeof(Delegate).IsAssignableFrom(type))
        {
            bases.Add(TypeName(baseType));
        }

        bases.AddRange(type.GetInterfaces().Where(i => i.IsPublic || i.IsNestedPublic).Select(TypeName).Order(StringComparer.Ordinal));
        if (bases.Count > 0)
        {
            builder.Append(" : ").Append(string.Join(", ", bases));
        }

        return builder.ToString();
    }

    private static string? DescribeMember(Type owner, MemberInfo member)
    {
        var nullability = new NullabilityInfoContext();
        switch (member)
        {
            case ConstructorInfo ctor when IsVisible(ctor):
                return $"{Access(ctor)}{TypeName(owner).Split('<')[0].Split('.')[^1]}({Parameters(ctor.GetParameters(), nullability)})";
            case MethodInfo method when IsVisible(method) && !method.IsSpecialName:
                if (owner.IsEnum)
                {
                    return null;
                }

                var modifiers = Access(method) + (method.IsStatic ? "static " : string.Empty) + (method.IsAbstract && !owner.IsInterface ? "abstract " : method.IsVirtual && !method.IsFinal && !owner.IsInterface && method.GetBaseDefinition() == method ? "virtual " : method.GetBaseDefinition() != method ? "override " : string.Empty);
                var generic = method.IsGenericMethodDefinition ? "<" + string.Join(", ", method.GetGenericArguments().Select(a => a.Name)) + ">" : string.Empty;
                var isExtension = method.IsDefined(typeof(ExtensionAttribute), false) ? "this " : string.Empty;
                return $"{modifiers}{TypeName(method.ReturnType, nullability.Create(method.ReturnParameter))} {method.Name}{generic}({isExtension}{Parameters(method.GetParameters(), nullability)})";
            case MethodInfo method when IsVisible(method) && method.IsSpecialName && method.Name.StartsWith("op_", StringComparison.Ordinal):
                return $"{Access(method)}static {TypeName(method.ReturnType, nullability.Create(method.ReturnParameter))} {method.Name}({Parameters(method.GetParameters(), nullability)})";
            case PropertyInfo property:
                var getter = property.GetMethod is { } g && IsVisible(g) ? g : null;
                var setter = property.SetMethod is { } s && IsVisible(s) ? s : null;
                if (getter is null && setter is null)
                {
                    return null;
                }

                var accessor = getter ?? setter!;
                var isInit = setter?.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.FullName == "System.Runtime.CompilerServices.IsExternalInit") == true;
                var required = property.IsDefined(typeof(RequiredMemberAttribute)) ? "required " : string.Empty;
                var accessors = (getter is null ? string.Empty : "get; ") + (setter is null ? string.Empty : isInit ? "init; " : "set; ");
                var indexer = property.GetIndexParameters() is { Length: > 0 } index ? $"this[{Parameters(index, nullability)}]" : property.Name;
                return $"{Access(accessor)}{(accessor.IsStatic ? "static " : string.Empty)}{required}{TypeName(property.PropertyType, nullability.Create(property))} {indexer} {{ {accessors}}}";
            case FieldInfo field when (field.IsPublic || field.IsFamily || field.IsFamilyOrAssembly) && !field.IsSpecialName:
                if (owner.IsEnum)
                {
                    return $"{field.Name} = {Convert.ToInt64(field.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture)}";
                }

                var constant = field.IsLiteral ? $" = {field.GetRawConstantValue()}" : string.Empty;
                var kind = field.IsLiteral ? "const " : (field.IsStatic ? "static " : string.Empty) + (field.IsInitOnly ? "readonly " : string.Empty);
                return $"{(field.IsPublic ? "public " : "protected ")}{kind}{TypeName(field.FieldType, nullability.Create(field))} {field.Name}{constant}";
            case EventInfo evt when evt.AddMethod is { } add && IsVisible(add):
                return $"{Access(add)}event {TypeName(evt.EventHandlerType!, nullability.Create(evt))} {evt.Name}";
            default:
                return null;
        }
    }

    private static bool IsVisible(MethodBase method) => method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly;

    private static string Access(MethodBase method) => method.IsPublic ? "public " : "protected ";

    private static string Parameters(ParameterInfo[] parameters, NullabilityInfoContext nullability) =>
        string.Join(", ", parameters.Select(p =>
        {
            var prefix = p.IsOut ? "out " : p.ParameterType.IsByRef ? (p.IsIn ? "in " : "ref ") : p.IsDefined(typeof(ParamArrayAttribute)) ? "params " : string.Empty;
            var type = p.ParameterType.IsByRef ? p.ParameterType.GetElementType()! : p.ParameterType;
            var defaultValue = p.HasDefaultValue ? " = " + (p.DefaultValue is null ? "default" : p.DefaultValue is string s ? $"\"{s}\"" : Convert.ToString(p.DefaultValue, System.Globalization.CultureInfo.InvariantCulture)) : string.Empty;
            return $"{prefix}{TypeName(type, nullability.Create(p))} {p.Name}{defaultValue}";
        }));

    private static string TypeName(Type type) => TypeName(type, null);

    private static string TypeName(Type type, NullabilityInfo? info)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return TypeName(underlying, info?.GenericTypeArguments.FirstOrDefault()) + "?";
        }

        string name;
        if (type.IsArray)
        {
            name = TypeName(type.GetElementType()!, info?.ElementType) + "[]";
        }
        else if (type.IsGenericParameter)
        {
            name = type.Name;
        }
        else if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            var baseName = (definition.FullName ?? definition.Name).Replace('+', '.');
            baseName = baseName[..baseName.IndexOf('`', StringComparison.Ordinal)];
            var arguments = type.GetGenericArguments();
            name = baseName + "<" + string.Join(", ", arguments.Select((a, i) => TypeName(a, info is not null && info.GenericTypeArguments.Length > i ? info.GenericTypeArguments[i] : null))) + ">";
        }
        else
        {
            name = (type.FullName ?? type.Name).Replace('+', '.');
        }

        if (info is { ReadState: NullabilityState.Nullable } && !type.IsValueType && !type.IsGenericParameter)
        {
            name += "?";
        }

        return name;
    }

    private static string Diff(string[] approved, string[] actual)
    {
        var removed = approved.Except(actual, StringComparer.Ordinal).Select(l => "- " + l);
        var added = actual.Except(approved, StringComparer.Ordinal).Select(l => "+ " + l);
        return string.Join('\n', removed.Concat(added));
    }

    // The test binaries sit under the test project (bin/<configuration>/<tfm>); walk up to its .csproj.
    // Source paths are not used because deterministic CI builds map them away.
    private static string FindProjectDirectory()
    {
        var directory = AppContext.BaseDirectory;
        while (directory is not null && !Directory.EnumerateFiles(directory, "*.Tests.csproj").Any())
        {
            directory = Path.GetDirectoryName(directory.TrimEnd(Path.DirectorySeparatorChar));
        }

        return directory ?? throw new InvalidOperationException($"No test project directory above '{AppContext.BaseDirectory}'.");
    }
}
