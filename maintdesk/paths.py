"""Every file location MaintDesk uses, in one place.

`AppPaths.default()` follows the platform's conventions (platformdirs); `AppPaths.under(folder)`
puts everything below one folder, for tests, demos and `--basedir`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "MaintDesk"
APP_AUTHOR = "MaintDesk"

# The source tree (or installed tree) holds the built-in templates and assets beside the package.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUILTIN_TEMPLATES_DIR = PROJECT_ROOT / "letter_templates"
ASSETS_DIR = PROJECT_ROOT / "assets"


@dataclass(frozen=True)
class AppPaths:
    data_dir: Path
    config_dir: Path
    log_dir: Path

    @classmethod
    def default(cls) -> AppPaths:
        dirs = platformdirs.PlatformDirs(APP_NAME, APP_AUTHOR)
        return cls(
            data_dir=Path(dirs.user_data_dir),
            config_dir=Path(dirs.user_config_dir),
            log_dir=Path(dirs.user_log_dir),
        )

    @classmethod
    def under(cls, base: Path) -> AppPaths:
        base = Path(base)
        return cls(data_dir=base / "data", config_dir=base / "config", log_dir=base / "logs")

    @property
    def database(self) -> Path:
        return self.data_dir / "maintdesk.sqlite"

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def notices_dir(self) -> Path:
        """Issued notices' PDFs, kept unchanged for the archive."""
        return self.data_dir / "notices"

    @property
    def user_templates_dir(self) -> Path:
        """User copies of letter templates; a file here overrides the built-in of the same name."""
        return self.data_dir / "letter_templates"

    @property
    def templates_dir(self) -> Path:
        return BUILTIN_TEMPLATES_DIR

    @property
    def assets_dir(self) -> Path:
        return ASSETS_DIR

    def ensure(self) -> AppPaths:
        for folder in (self.data_dir, self.config_dir, self.log_dir):
            folder.mkdir(parents=True, exist_ok=True)
        return self
