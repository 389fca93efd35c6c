"""Load a supervisord config with supervisor's own parser (ServerOptions) and print what it
means as JSON: the daemon settings and, per program, argv (shlex.split of command, as supervisor
does at spawn) and the environment dict. No process is started.

usage: /usr/bin/python3 supervisor_parse.py FILE [--snippet]
"""
import json
import shlex
import sys

from supervisor.options import ServerOptions, UnhosedConfigParser


def main():
    path = sys.argv[1]
    snippet = '--snippet' in sys.argv
    options = ServerOptions()
    if snippet:
        parser = UnhosedConfigParser()
        parser.expansions = {'here': None}
        parser.read(path)
        options.here = None
        groups = options.process_groups_from_parser(parser)
        daemon = None
    else:
        options.realize(args=['-c', path])
        groups = options.process_group_configs
        server = options.server_configs[0]
        daemon = {
            'socket': server.get('file'),
            'chmod': oct(server.get('chmod')),
            'logfile': options.logfile,
            'logfile_maxbytes': options.logfile_maxbytes,
            'logfile_backups': options.logfile_backups,
            'loglevel': options.loglevel,
            'pidfile': options.pidfile,
            'serverurl': parse_serverurl(path),
        }
    programs = {}
    for group in groups:
        for p in group.process_configs:
            programs[p.name] = {
                'argv': shlex.split(p.command),
                'environment': p.environment,
                'directory': p.directory,
                'user': p.uid is not None and p.uid or None,
                'autostart': p.autostart,
                'autorestart': getattr(p.autorestart, '__name__', str(p.autorestart)),
                'startsecs': p.startsecs,
                'startretries': p.startretries,
                'stopsignal': int(p.stopsignal),
                'stopwaitsecs': p.stopwaitsecs,
                'stopasgroup': p.stopasgroup,
                'killasgroup': p.killasgroup,
                'stdout_logfile': p.stdout_logfile,
                'stdout_logfile_maxbytes': p.stdout_logfile_maxbytes,
                'stdout_logfile_backups': p.stdout_logfile_backups,
                'stderr_logfile': p.stderr_logfile,
                'stderr_logfile_maxbytes': p.stderr_logfile_maxbytes,
                'stderr_logfile_backups': p.stderr_logfile_backups,
                'redirect_stderr': p.redirect_stderr,
            }
    json.dump({'daemon': daemon, 'programs': programs}, sys.stdout, ensure_ascii=False)


def parse_serverurl(path):
    parser = UnhosedConfigParser()
    parser.read(path)
    return parser.saneget('supervisorctl', 'serverurl', None)


if __name__ == '__main__':
    try:
        main()
    except Exception as e:  # report parse errors as data
        json.dump({'error': '%s: %s' % (type(e).__name__, e)}, sys.stdout, ensure_ascii=False)
        sys.exit(3)
