namespace SmsBridge.Admin.Doctor;

/// <summary>Bound from <c>Doctor</c>: what the checks compare the installation against.</summary>
public sealed class DoctorOptions
{
    /// <summary>The public HTTPS URL (the TLS checks run only when it is set, or given as <c>doctor --url</c>).</summary>
    public Uri? PublicUrl { get; set; }

    /// <summary>A PEM file of extra trusted roots, for an installation whose certificate comes from a private CA.</summary>
    public string? TrustedRootsFile { get; set; }

    /// <summary>The newest verified backup may be this old (the nightly schedule plus slack).</summary>
    public TimeSpan BackupMaxAge { get; set; } = TimeSpan.FromHours(26);

    /// <summary>The newest off-site copy may be this old.</summary>
    public TimeSpan OffsiteMaxAge { get; set; } = TimeSpan.FromHours(26);

    /// <summary>Where the backups are written, when this process can see it (free disk is checked there).</summary>
    public string? BackupDirectory { get; set; }

    /// <summary>How often the service runs the checks for <c>/metrics</c> (<c>smsbridge_doctor_check_status</c>).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);
}
