// The CSV rules live in packages/domain (csv.ts), shared with the API's exports. The file starts
// with a UTF-8 byte order mark, which Excel needs to read the encoding right.
export { CSV_BOM, CSV_CONTENT_TYPE, csvCell, csvFileName, csvLine, type CsvValue } from '@ikb/domain';
