"""Every page a citizen sees without signing in: the home page, search and guides,
taking a ticket and booking, applying online and following progress, reviewing a
service (好差评), complaints, and the self-service terminal's pages for these."""
