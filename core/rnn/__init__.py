"""Inside recurrent networks: the recurrences in numpy, traces and gradients through time, and
the older ideas on real series (time-delay networks, echo state networks)."""
