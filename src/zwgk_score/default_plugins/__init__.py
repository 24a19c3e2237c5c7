"""Built-in features, registered through the same hooks as any plugin (默认插件)."""

DEFAULT_PLUGINS = (
    "zwgk_score.default_plugins.methods",
    "zwgk_score.default_plugins.exporters",
    "zwgk_score.default_plugins.collectors",
)
