import {parseBatchRequest} from './batch-request.js';
import {splitTarget} from './batch-operation.js';

describe('parseBatchRequest', () => {
  it('accepts operations with a JSON string body and normalises the method', () => {
    expect(
      parseBatchRequest({
        operations: [
          {
            method: 'put',
            path: '/lists/a/members/b',
            body: '{"status":"subscribed"}',
            operation_id: 'x',
            params: {skip_merge_validation: true},
          },
        ],
      }),
    ).toEqual({
      ok: true,
      operations: [
        {
          method: 'PUT',
          path: '/lists/a/members/b',
          body: '{"status":"subscribed"}',
          operation_id: 'x',
          params: {skip_merge_validation: true},
        },
      ],
    });
  });

  it('names each bad operation as operations.item:N with a Mailchimp-style message', () => {
    const result = parseBatchRequest({
      operations: [
        {method: 'GET', path: '/ping'},
        {method: 'POST', path: '/lists', body: {name: 'x'}},
        ['GET', '/ping'],
        {method: 'FETCH', path: '/ping'},
        {method: 'GET'},
        {method: 'GET', path: '/ping', params: 'count=5'},
        {method: 'GET', path: '/ping', operation_id: 7},
      ],
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        {field: 'operations.item:1.body', message: 'Schema describes string, object found instead'},
        {field: 'operations.item:2', message: 'Schema describes object, array found instead'},
        {
          field: 'operations.item:3.method',
          message: 'Data presented is not one of the accepted values: GET, POST, PUT, PATCH, DELETE.',
        },
        {field: 'operations.item:4', message: 'Required fields were not provided: path'},
        {field: 'operations.item:5.params', message: 'Schema describes object, string found instead'},
        {field: 'operations.item:6.operation_id', message: 'Schema describes string, integer found instead'},
      ],
    });
  });

  it('wants the operations wrapped in an object', () => {
    expect(parseBatchRequest([{method: 'GET', path: '/ping'}])).toEqual({
      ok: false,
      errors: [{field: '', message: 'Schema describes object, array found instead'}],
    });
    expect(parseBatchRequest({})).toEqual({
      ok: false,
      errors: [{field: 'operations', message: 'Schema describes array, NULL found instead'}],
    });
  });
});

describe('splitTarget', () => {
  it('accepts paths with or without a leading slash or /3.0, and merges params into the query', () => {
    expect(
      splitTarget('lists/abc/members?count=5&status=subscribed', {count: 20, fields: ['id', 'email_address']}),
    ).toEqual({
      path: '/lists/abc/members',
      query: {count: '20', status: 'subscribed', fields: 'id,email_address'},
    });
    expect(splitTarget('/3.0/lists')).toEqual({path: '/lists', query: {}});
  });
});
