# PlatformIO pre-script: stamps the build id ("20260115.a1b2c3d": UTC date and git commit) into MT_BUILD_ID,
# which the boot banner and the status message report after the version ("1.0.0+20260115.a1b2c3d").
import datetime
import subprocess

Import("env")  # noqa: F821 (provided by PlatformIO)


def commit():
    try:
        out = subprocess.check_output(["git", "rev-parse", "--short=7", "HEAD"], cwd=env.subst("$PROJECT_DIR"), stderr=subprocess.DEVNULL)  # noqa: F821
        return out.decode().strip()
    except (OSError, subprocess.CalledProcessError):
        return "nogit"


build_id = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d") + "." + commit()
env.Append(CPPDEFINES=[("MT_BUILD_ID", '\\"%s\\"' % build_id)])  # noqa: F821
