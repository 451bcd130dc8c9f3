// Two cores: the end-to-end tests start a broker and five processes. Running classes one at a time keeps
// timing assertions (the 5 s catalog promise) about the platform, not about a starved machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
