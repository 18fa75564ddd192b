"""Annual and end-of-term reviews of the charters: an aggregator above the apps (its statistics read
charters, meetings and petitions), with the rooms of an app."""
