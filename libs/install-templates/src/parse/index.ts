export * from './systemd-unit.js';
export * from './supervisord-conf.js';
