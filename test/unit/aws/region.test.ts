import { describe, expect, it } from 'vitest';
import { RemoteMirrorError } from '../../../lambda/errors.js';
import { regionForWorkspace, regionFromAmpHost } from '../../../lambda/aws/region.js';

const NO_ENV = {};

describe('regionFromAmpHost', () => {
  it.each([
    ['aps-workspaces.eu-west-1.amazonaws.com', 'eu-west-1'],
    ['aps-workspaces-fips.us-east-2.amazonaws.com', 'us-east-2'],
    ['aps-workspaces.ap-southeast-4.api.aws', 'ap-southeast-4'],
    ['aps-workspaces-fips.us-gov-west-1.api.aws', 'us-gov-west-1'],
    ['aps-workspaces.cn-north-1.amazonaws.com.cn', 'cn-north-1'],
    ['APS-WORKSPACES.EU-CENTRAL-1.AMAZONAWS.COM', 'eu-central-1'],
    ['vpce-0a1b2c3d4e5f-abcdefgh.aps-workspaces.eu-west-1.vpce.amazonaws.com', 'eu-west-1'],
  ])('reads the region of %s', (host, region) => {
    // Act
    const found = regionFromAmpHost(host);

    // Assess
    expect(found).toBe(region);
  });

  it.each([
    'aps.eu-west-1.amazonaws.com',
    'aps-workspaces.eu-west-1.amazonaws.com.evil.example',
    'evil-aps-workspaces.eu-west-1.amazonaws.com',
    'aps-workspaces.amazonaws.com',
    '127.0.0.1',
    'prometheus.internal',
  ])('finds no region in %s', (host) => {
    // Act
    const found = regionFromAmpHost(host);

    // Assess
    expect(found).toBeUndefined();
  });
});

describe('regionForWorkspace', () => {
  const amp = new URL('https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1');
  const local = new URL('http://127.0.0.1:9090/workspaces/ws-1');

  it('takes the region from the workspace host name', () => {
    // Act
    const region = regionForWorkspace(amp, {}, { AWS_REGION: 'us-east-1' });

    // Assess
    expect(region).toBe('eu-west-1');
  });

  it('accepts a region_name that agrees with the host', () => {
    // Act
    const region = regionForWorkspace(amp, { region_name: 'eu-west-1' }, NO_ENV);

    // Assess
    expect(region).toBe('eu-west-1');
  });

  it('refuses a region_name that disagrees with the host, naming both regions', () => {
    // Act
    const act = () => regionForWorkspace(amp, { region_name: 'us-east-1' }, NO_ENV);

    // Assess
    expect(act).toThrow(RemoteMirrorError);
    expect(act).toThrow(/region_name is us-east-1 but the workspace url is in eu-west-1/);
  });

  it('uses region_name for a host that names no region', () => {
    // Act
    const region = regionForWorkspace(local, { region_name: 'ap-south-1' }, { AWS_REGION: 'us-east-1' });

    // Assess
    expect(region).toBe('ap-south-1');
  });

  it("falls back to the mirror's AWS_REGION", () => {
    // Act
    const region = regionForWorkspace(local, {}, { AWS_REGION: 'us-west-2' });

    // Assess
    expect(region).toBe('us-west-2');
  });

  it('treats an empty AWS_REGION as missing and says how to set the region', () => {
    // Act
    const act = () => regionForWorkspace(local, {}, { AWS_REGION: '' });

    // Assess
    expect(act).toThrow(RemoteMirrorError);
    expect(act).toThrow(/Set aws.region_name/);
  });

  it('refuses a region_name that is not a region name', () => {
    // Act
    const act = () => regionForWorkspace(local, { region_name: 'Ireland' }, NO_ENV);

    // Assess
    expect(act).toThrow(/is not an AWS region name/);
  });

  it('answers with a 400 typed error body', () => {
    // Act
    let caught: unknown;
    try {
      regionForWorkspace(local, {}, NO_ENV);
    } catch (error) {
      caught = error;
    }

    // Assess
    expect(caught).toBeInstanceOf(RemoteMirrorError);
    expect((caught as RemoteMirrorError).status).toBe(400);
    expect((caught as RemoteMirrorError).toBody()._type).toBe('RemoteMirrorError');
  });
});
