namespace CollabTraining.Contracts.School;

/// <summary>
/// The school's lists of qualification and programme codes: the school owns them, every party checks codes
/// against them (a hospital's offer may require only qualifications the school can grant, and admit only
/// programmes the school runs). They change with a release of the contracts until training modules define
/// qualifications at run time.
/// </summary>
public static class ReferenceCodes
{
    /// <summary>Qualifications the school grants, each by completing a training module.</summary>
    public static IReadOnlyDictionary<string, string> Qualifications { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["infection-control"] = "Infection prevention and control",
        ["basic-life-support"] = "Basic life support",
        ["advanced-life-support"] = "Advanced life support",
        ["safeguarding"] = "Safeguarding children and adults",
        ["mri-safety"] = "MRI safety",
        ["radiation-protection"] = "Radiation protection",
        ["gpu-cluster-onboarding"] = "GPU cluster onboarding",
        ["data-protection"] = "Health data protection",
        ["wet-lab-safety"] = "Wet laboratory safety",
    };

    /// <summary>Programmes the school runs.</summary>
    public static IReadOnlyDictionary<string, string> Programmes { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["medicine"] = "Clinical medicine",
        ["medical-imaging"] = "Medical imaging",
        ["intelligent-medical-engineering"] = "Intelligent medical engineering",
        ["biomedical-engineering"] = "Biomedical engineering",
        ["nursing"] = "Nursing",
    };
}
